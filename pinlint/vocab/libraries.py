"""Libraries a compiled binary may link that matter to transport security: pinning libraries, and the networking
libraries whose trust evaluation the code may configure. Named in the audit summary and the inventory when a
binary links them (``LinkedLibrary`` facts); linking one is evidence of what the binary uses, not a finding."""

from __future__ import annotations

#: Short library names (``LinkedLibrary.name``) and what each is.
NOTABLE_LIBRARIES: dict[str, str] = {
    "TrustKit": "pinning library (TrustKit)",
    "TrustKitDynamic": "pinning library (TrustKit)",
    "TrustKitStatic": "pinning library (TrustKit)",
    "TSKTrustKit": "pinning library (TrustKit)",
    "SSLPinning": "pinning library",
    "Alamofire": "networking library (Alamofire; pins through its ServerTrustManager)",
    "AFNetworking": "networking library (AFNetworking; pins through AFSecurityPolicy)",
    "Moya": "networking library (Moya, over Alamofire)",
    "OpenSSL": "TLS library (OpenSSL: trust decisions outside the system's)",
    "openssl": "TLS library (OpenSSL: trust decisions outside the system's)",
    "BoringSSL": "TLS library (BoringSSL: trust decisions outside the system's)",
    "libcurl": "networking library (libcurl: trust decisions outside the system's)",
    "Starscream": "WebSocket library (Starscream; pins through its certificate pinning option)",
    "SocketRocket": "WebSocket library (SocketRocket; pins through SSL pinned certificates)",
}
