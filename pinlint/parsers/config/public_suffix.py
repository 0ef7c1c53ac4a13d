"""A small, built-in view of the Public Suffix List, for rules that must not cover a whole registry.

TrustKit refuses ``TSKIncludeSubdomains`` on a public suffix (its own copy of the list, private entries
included, which is how ``*.appspot.com`` came to be refused). Shipping the full list is out of scope; this
module knows every single-label name (a top-level domain) and the second-level suffixes most often met in
app configurations. A name it does not know is treated as registrable, so a miss never produces a finding.
"""

from __future__ import annotations

#: Common ICANN second-level suffixes and widely used private ones (hosting platforms).
KNOWN_SUFFIXES = frozenset({
    # United Kingdom, Australia, New Zealand, Ireland
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "nhs.uk", "sch.uk",
    "com.au", "net.au", "org.au", "edu.au", "gov.au", "id.au", "asn.au",
    "co.nz", "org.nz", "net.nz", "ac.nz", "govt.nz", "gov.ie",
    # Asia
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "com.hk", "org.hk", "gov.hk", "edu.hk",
    "com.tw", "org.tw", "gov.tw", "edu.tw", "co.kr", "or.kr", "go.kr", "ac.kr", "ne.kr",
    "co.in", "net.in", "org.in", "gov.in", "ac.in", "edu.in", "nic.in", "firm.in", "gen.in", "ind.in",
    "com.sg", "org.sg", "gov.sg", "edu.sg", "net.sg", "com.my", "org.my", "gov.my", "edu.my",
    "com.ph", "gov.ph", "co.id", "or.id", "go.id", "ac.id", "co.th", "in.th", "go.th", "ac.th",
    "com.vn", "gov.vn", "com.pk", "gov.pk", "co.il", "org.il", "gov.il", "ac.il", "com.sa", "gov.sa",
    "com.tr", "gov.tr", "edu.tr", "org.tr", "ae.org",
    # Americas
    "com.br", "net.br", "org.br", "gov.br", "edu.br", "com.mx", "org.mx", "gob.mx", "edu.mx",
    "com.ar", "gob.ar", "gov.ar", "com.co", "gov.co", "com.pe", "gob.pe", "com.uy", "com.ve", "gc.ca",
    # Africa and Europe
    "co.za", "org.za", "gov.za", "ac.za", "com.ng", "gov.ng", "co.ke", "or.ke", "com.eg", "gov.eg",
    "com.ua", "gov.ua", "com.pl", "net.pl", "org.pl", "gov.pl", "com.ru", "com.es", "gob.es", "com.gr",
    "com.pt", "gov.pt", "co.at", "or.at", "gv.at",
    # private entries (hosting platforms)
    "appspot.com", "herokuapp.com", "github.io", "gitlab.io", "cloudfront.net", "azurewebsites.net",
    "cloudapp.net", "azure-mobile.net", "firebaseapp.com", "web.app", "netlify.app", "vercel.app",
    "pages.dev", "workers.dev", "blogspot.com", "elasticbeanstalk.com", "s3.amazonaws.com",
    "glitch.me", "onrender.com", "fly.dev", "ngrok.io", "ngrok-free.app",
})


def is_public_suffix(name: str) -> bool:
    """Whether ``name`` is itself a public suffix (``com``, ``co.uk``, ``appspot.com``), not a domain
    someone can register under it."""
    host = name.strip().strip(".").lower()
    if not host:
        return False
    if "." not in host:
        return not host.replace("-", "").isdigit()
    return host in KNOWN_SUFFIXES
