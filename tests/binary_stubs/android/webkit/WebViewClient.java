package android.webkit;

/** Compile-time stand-in for the Android class (never packaged into a fixture). */
public class WebViewClient {
    public void onReceivedSslError(WebView view, SslErrorHandler handler, android.net.http.SslError error) {}
}
