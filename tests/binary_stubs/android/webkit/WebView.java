package android.webkit;

/** Compile-time stand-in for the Android class (never packaged into a fixture). */
public class WebView {}
