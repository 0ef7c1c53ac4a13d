package android.webkit;

/** Compile-time stand-in for the Android class (never packaged into a fixture). */
public class SslErrorHandler {
    public void proceed() {}
    public void cancel() {}
}
