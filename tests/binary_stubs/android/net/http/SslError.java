package android.net.http;

/** Compile-time stand-in for the Android class (never packaged into a fixture). */
public class SslError {}
