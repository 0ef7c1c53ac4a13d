"""The Apple trust vocabulary the challenge-handler analysis reads: which answers accept, hand the decision
to the system or reject; which calls evaluate a trust, read data out of it or compare; which words mark a
yes/no predicate, a failure or a host. ``handlers`` and ``lowering`` read code through these tables only.
"""

from __future__ import annotations

ACCEPT = frozenset({"useCredential", "NSURLSessionAuthChallengeUseCredential"})
DEFAULT = frozenset({"performDefaultHandling", "NSURLSessionAuthChallengePerformDefaultHandling"})
REJECT = frozenset(
    {
        "cancelAuthenticationChallenge",
        "NSURLSessionAuthChallengeCancelAuthenticationChallenge",
        "rejectProtectionSpace",
        "NSURLSessionAuthChallengeRejectProtectionSpace",
    }
)
REJECT_CALLS = frozenset(
    {
        "cancelAuthenticationChallenge:",
        "cancel",
        "rejectProtectionSpaceAndContinueWithChallenge:",
        "fatalError",
        "abort",
        "completeWithError",
        "reject",
    }
)
EVALUATIONS = frozenset(
    {
        "SecTrustEvaluateWithError",
        "SecTrustEvaluate",
        "SecTrustEvaluateAsyncWithError",
        "SecTrustEvaluateAsync",
        "SecTrustEvaluateFastAsync",
    }
)
#: TrustKit validators (Objective-C selectors and Swift names)
TRUSTKIT = frozenset(
    {
        "handleChallenge:completionHandler:",
        "evaluateTrust:forHostname:",
        "handle",
        "evaluateTrust",
        "handleChallenge",
    }
)
#: functions that read data out of a trust or certificate: they decide nothing
EXTRACTORS = frozenset(
    {
        "SecTrustGetCertificateAtIndex",
        "SecTrustCopyCertificateChain",
        "SecTrustGetCertificateCount",
        "SecCertificateCopyData",
        "SecTrustCopyKey",
        "SecTrustCopyPublicKey",
        "SecKeyCopyExternalRepresentation",
        "SecCertificateCopyKey",
        "SecCertificateCopyPublicKey",
        "SecTrustCopyExceptions",
        "SecTrustSetExceptions",
        "SecTrustSetPolicies",
        "SecTrustSetAnchorCertificates",
        "SecTrustSetAnchorCertificatesOnly",
        "SecCertificateCopySubjectSummary",
        "SecPolicyCreateSSL",
        "SecPolicyCreateBasicX509",
        "CFArrayGetValueAtIndex",
        "CFBridgingRelease",
        "CFRelease",
        "Data",
        "NSData",
        "String",
        "URLCredential",
        "credentialForTrust",
        "initWithTrust",
        "dataWithBytes",
        "SecTrustCopyProperties",
        "SecTrustGetTrustResult",
        "print",
        "NSLog",
        "debugPrint",
        "SecTrustCopyResult",
        "takeRetainedValue",
        "takeUnretainedValue",
        "count",
        "first",
        "map",
        "compactMap",
        "append",
        "SecTrustSetVerifyDate",
        "SecTrustSetOCSPResponse",
        "SecTrustSetNetworkFetchAllowed",
        "SecTrustCreateWithCertificates",
    }
)
COMPARISONS = frozenset(
    {
        "contains",
        "containsObject",
        "isEqual",
        "isEqualToData",
        "isEqualToString",
        "elementsEqual",
        "isEqualTo",
        "firstIndex",
        "index",
        "indexOfObject",
        "member",
        "intersects",
        "isSubset",
        "starts",
        "hasPrefix",
    }
)
PREDICATE_PREFIXES = (
    "is",
    "should",
    "can",
    "validate",
    "verify",
    "evaluate",
    "check",
    "has",
    "trust",
    "accept",
    "allow",
    "matches",
    "pin",
)
FAILURE_WORDS = ("fail", "deny", "invalid", "block", "recoverable", "fatal", "otherError")
HOST_WORDS = ("host", "hostname", "authenticationMethod", "realm", "domain")
SERVER_TRUST_METHOD = "NSURLAuthenticationMethodServerTrust"
#: literals a null check compares with: such a comparison never decides trust
NULLS = frozenset({"nil", "NULL", "Nil", "nullptr", "null"})
#: where a bare name is read as a yes/no value (not a member access or an argument)
BOOLEAN_CONTEXTS = frozenset(
    {
        "if_statement",
        "guard_statement",
        "parenthesized_expression",
        "prefix_expression",
        "unary_expression",
        "conjunction_expression",
        "disjunction_expression",
        "binary_expression",
        "condition_clause",
    }
)
