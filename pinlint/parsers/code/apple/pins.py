"""Pins written in code: TrustKit configuration dictionaries, Alamofire and AFNetworking pinning policies.

Conventions for certificate-based pinning (Alamofire evaluators, AFNetworking policies):

- ``PinSet.certificates`` lists the pinned certificates as written (the expression text of each
  element of a literal array or set), so the count is known and ``missing-backup-pin`` can count it.
- When the count cannot be known from the code (the library's bundle default, ``Bundle.main.af.certificates``,
  a variable), ``certificates`` is ``("<bundle>", "<bundle:unknown>")``: two placeholder entries, so a
  per-set count never reports a missing backup; resolvers that count bundled certificate files recognise the
  ``<bundle>`` marker and decide from the files.
- Key pinning (``PublicKeysTrustEvaluator``, AFNetworking public-key mode) has kind ``any``; each key
  (or each placeholder) also appears in ``pins`` as an unresolved ``Pin`` whose value is the expression
  text, since its hash is only known at run time.
"""

from __future__ import annotations

from datetime import date

from pinlint.model.facts import HOSTNAME, SERVER_TRUST, Pin, PinSet
from pinlint.parsers.code.apple.emit import Emitter
from pinlint.parsers.code.apple.syntax import Call, Syntax
from pinlint.parsers.code.treesitter import Node, ancestors, text, walk

UNKNOWN_CERTIFICATES = ("<bundle>", "<bundle:unknown>")

_TRUSTKIT_KEYS = ("PinnedDomains", "PublicKeyHashes", "EnforcePinning", "IncludeSubdomains", "ExpirationDate")


def _trustkit_key(syntax: Syntax, node: Node) -> str:
    """``kTSKPublicKeyHashes`` / ``"TSKPublicKeyHashes"`` -> ``PublicKeyHashes``; anything else -> ''."""
    name = syntax.string_value(node) or syntax.name_of(node)
    for prefix in ("kTSK", "TSK", "kSK"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return ""


def constants(syntax: Syntax, root: Node) -> dict[str, str]:
    """String constants declared in the file (``let pin = "..."``, ``NSString *const kPin = @"..."``)."""
    found: dict[str, str] = {}
    for node in syntax.of_type(root, "property_declaration", "declaration"):
        for name, value, _ in syntax.bindings(node):
            literal = syntax.string_value(value)
            if literal is not None and name not in found:
                found[name] = literal
    return found


def _string(syntax: Syntax, node: Node, known: dict[str, str]) -> str | None:
    literal = syntax.string_value(node)
    if literal is not None:
        return literal
    if node.type in ("simple_identifier", "identifier"):
        return known.get(text(node))
    return None


def _expiration(value: str) -> date | None:
    """TrustKit's ``yyyy-MM-dd``; anything else is read by TrustKit as no expiry."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def scan_trustkit(syntax: Syntax, root: Node, emitter: Emitter, known: dict[str, str]) -> None:
    for node in syntax.of_type(root, "dictionary_literal"):
        for key, value in syntax.dict_entries(node) or []:
            if _trustkit_key(syntax, key) == "PinnedDomains":
                _trustkit_domains(syntax, value, emitter, known)


def _trustkit_domains(syntax: Syntax, domains: Node, emitter: Emitter, known: dict[str, str]) -> None:
    for host_node, policy in syntax.dict_entries(domains) or []:
        host = _string(syntax, host_node, known)
        entries = syntax.dict_entries(policy)
        if host is None or entries is None or not emitter.sound(host_node):
            continue
        names = {_trustkit_key(syntax, key) for key, _ in entries}
        if "ExcludeSubdomainFromParentPolicy" in names and "PublicKeyHashes" not in names:
            continue  # an exclusion from a parent domain's policy, not a pin set
        pins: list[Pin] = []
        count_unknown = False
        hashes_key: Node | None = None
        enforced, enforcement_span = True, None
        include_subdomains = False
        expiration, expiration_span = None, None
        for key, value in entries:
            name = _trustkit_key(syntax, key)
            if name == "PublicKeyHashes":
                hashes_key = key
                elements = syntax.array_elements(value)
                count_unknown = elements is None  # a variable or an expression: filled at run time
                for element in elements or []:
                    pin = _string(syntax, element, known)
                    if pin is None:
                        pins.append(Pin(text(element), "sha256", emitter.span(element), unresolved=True))
                    else:
                        pins.append(Pin(pin.strip(), "sha256", emitter.span(element)))
            elif name == "EnforcePinning" and syntax.bool_value(value) is False:
                enforced, enforcement_span = False, emitter.span(value)
            elif name == "IncludeSubdomains":
                include_subdomains = syntax.bool_value(value) is True
            elif name == "ExpirationDate":
                literal = _string(syntax, value, known)
                if literal is not None:
                    expiration = _expiration(literal.strip())
                    expiration_span = emitter.span(value) if expiration is not None else None
        emitter.add(
            PinSet(
                origin="trustkit",
                platform="ios",
                hosts=(host,),
                pins=tuple(pins),
                # like TSKPublicKeyHashes in Info.plist: the set is where its hashes are listed
                span=emitter.span(hashes_key if hashes_key is not None else host_node),
                include_subdomains=include_subdomains,
                kind="any",
                expiration=expiration,
                expiration_span=expiration_span,
                enforced=enforced,
                enforcement_span=enforcement_span,
                variant=emitter.variant(host_node),
                label="TrustKit pin set",
                count_unknown=count_unknown,
            )
        )


# --- Alamofire ----------------------------------------------------------------------------------------

_PINNING_EVALUATORS = {
    # call name -> (kind, argument that lists what is pinned)
    "PinnedCertificatesTrustEvaluator": ("certificate", "certificates"),
    "PublicKeysTrustEvaluator": ("any", "keys"),
    "pinCertificates": ("certificate", "certificates"),
    "pinPublicKeys": ("any", "publicKeys"),
}
_TRUST_EVALUATORS = frozenset(
    {
        *_PINNING_EVALUATORS,
        "DefaultTrustEvaluator",
        "RevocationTrustEvaluator",
        "performDefaultEvaluation",
        "performRevokedEvaluation",
    }
)
_DISABLED = frozenset({"DisabledTrustEvaluator", "DisabledEvaluator"})


def _dictionary_host(syntax: Syntax, node: Node, known: dict[str, str]) -> str | None:
    """The key of the dictionary entry whose value is ``node`` (``["api.example.com": evaluator]``)."""
    parent = node.parent
    if parent is None or parent.type not in ("dictionary_literal", "dictionary_pair"):
        return None
    container = parent if parent.type == "dictionary_literal" else parent.parent
    for key, value in syntax.dict_entries(container) or []:
        if value.id == node.id:
            return _string(syntax, key, known)
    return None


def _hosts_of(syntax: Syntax, root: Node, call: Call, known: dict[str, str]) -> tuple[str, ...]:
    host = _dictionary_host(syntax, call.node, known)
    if host is not None:
        return (host,)
    binding = call.node.parent
    names = (
        [
            name
            for name, value, _ in syntax.bindings(binding)
            if value is not None and value.id == call.node.id
        ]
        if binding is not None
        else []
    )
    if not names:
        return ()
    hosts: list[str] = []
    for node in syntax.of_type(root, "simple_identifier", "identifier"):
        if text(node) in names:
            found = _dictionary_host(syntax, node, known)
            if found is not None and found not in hosts:
                hosts.append(found)
    return tuple(hosts)


def _listed(syntax: Syntax, node: Node | None, bound: dict[str, Node] | None = None,
           known: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """The entries of a literal list of pinned certificates or keys: each the bundled file it is read from
    when the file shows one (``api.cer``), else its expression text; None when not a literal list."""
    elements = syntax.array_elements(node)
    if elements is None:
        return None
    entries: list[str] = []
    for element in elements:
        files = pinned_files(syntax, element, bound or {}, known)
        one = files is not None and files != UNKNOWN_CERTIFICATES and len(files) == 1
        entries.append(files[0] if files is not None and one else text(element))
    return tuple(entries)


def _pinning_set(
    origin: str,
    kind: str,
    listed: tuple[str, ...] | None,
    call: Call,
    hosts: tuple[str, ...],
    emitter: Emitter,
    label: str,
) -> None:
    certificates = listed if listed is not None else UNKNOWN_CERTIFICATES
    pins: tuple[Pin, ...] = ()
    if kind == "any":
        pins = tuple(Pin(item, "sha256", emitter.span(call.node), unresolved=True) for item in certificates)
    emitter.add(
        PinSet(
            origin=origin,
            platform="ios",
            hosts=hosts,
            pins=pins,
            span=emitter.span(call.node),
            kind=kind,
            certificates=certificates,
            variant=emitter.variant(call.node),
            label=label,
        )
    )


#: calls that only log: an ``evaluate`` doing nothing else accepts every trust
_LOGGING = frozenset({"print", "debugPrint", "NSLog", "os_log", "dump", "assert"})


def _empty_evaluators(syntax: Syntax, root: Node, emitter: Emitter) -> None:
    """``func evaluate(_ trust: SecTrust, forHost host: String) throws {}`` in a custom evaluator.

    Alamofire's ``ServerTrustEvaluating`` (and the look-alike protocols apps copy from it) rejects a
    server only by throwing; an ``evaluate`` that neither throws nor calls anything that can accepts any
    certificate for the hosts it is registered for.
    """
    if syntax.grammar != "swift":
        return
    for node in syntax.of_type(root, "function_declaration"):
        if not syntax.function_name(node).startswith("evaluate(_:forHost:"):
            continue
        parameters = [child for child in node.named_children if child.type == "parameter"]
        if not parameters or "SecTrust" not in text(parameters[0]):
            continue
        body = node.child_by_field_name("body")
        if body is None or not emitter.sound(node) or _declares_library_evaluator(node):
            continue
        if any(child.type in ("try_expression", "throw_keyword") or text(child) == "throw" for child in walk(body)):
            continue
        calls = [call for call in syntax.calls(body) if call.name not in _LOGGING]
        if any(not call.name.lower().startswith("log") and not _logger(syntax, call) for call in calls):
            continue
        name = node.child_by_field_name("name") or node
        emitter.trust(
            SERVER_TRUST,
            "empty-evaluate",
            "this server-trust evaluator's evaluate(_:forHost:) never throws, so it accepts any certificate "
            "for the hosts it is registered for",
            name,
            "alamofire",
        )


def _declares_library_evaluator(node: Node) -> bool:
    """Inside Alamofire's own ``DisabledTrustEvaluator`` (vendored sources): its uses are reported instead."""
    for parent in ancestors(node):
        if parent.type == "class_declaration":
            name = parent.child_by_field_name("name")
            return name is not None and text(name) in _DISABLED
    return False


def _logger(syntax: Syntax, call: Call) -> bool:
    """``Log.debug(...)``, ``logger.info(...)``: a call on a logging object."""
    receiver = syntax.name_of(call.receiver).lower() if call.receiver is not None else ""
    return receiver.endswith(("log", "logger")) or call.name in ("debug", "info", "warning", "error", "notice")


#: Every Alamofire name ``scan_alamofire`` acts on holds one of these, lower-cased (``DisabledEvaluator``,
#: ``customEvaluation``, ``PinnedCertificatesTrustEvaluator``, ``evaluate(_:forHost:)``, ``pinPublicKeys``...):
#: a file without them has nothing for it, and its calls are not read.
ALAMOFIRE_WORDS = (b"evaluat", b"pincertificates", b"pinpublickeys")


def scan_alamofire(syntax: Syntax, root: Node, emitter: Emitter, known: dict[str, str]) -> None:
    if not syntax.mentions(root, ALAMOFIRE_WORDS):
        return
    _empty_evaluators(syntax, root, emitter)
    bound = bindings_map(syntax, root)
    for call in syntax.calls(root):
        if call.name in _DISABLED and not call.arguments:
            emitter.trust(
                SERVER_TRUST,
                call.name,
                f"Alamofire {call.name}() accepts any certificate for the hosts it is registered for",
                call.node,
                "alamofire",
            )
            continue
        if call.name == "customEvaluation" and call.closures and _always_true(syntax, call.closures[0]):
            emitter.trust(
                SERVER_TRUST,
                "customEvaluation-true",
                "Alamofire .customEvaluation closure always returns true, accepting any certificate",
                call.node,
                "alamofire",
            )
            continue
        if call.name not in _TRUST_EVALUATORS:
            continue
        _evaluator_options(syntax, call, emitter)
        if call.name in _PINNING_EVALUATORS and emitter.sound(call.node):
            kind, argument = _PINNING_EVALUATORS[call.name]
            listed = _listed(syntax, call.argument(argument), bound, known)
            what = "certificate" if kind == "certificate" else "public-key"
            _pinning_set(
                "alamofire",
                kind,
                listed,
                call,
                _hosts_of(syntax, root, call, known),
                emitter,
                f"Alamofire {what} pinning",
            )
    for node in syntax.of_type(root, "prefix_expression", "navigation_expression"):
        if (
            syntax.name_of(node) == "disableEvaluation"
            and not _in_pattern(node)
        ):
            emitter.trust(
                SERVER_TRUST,
                "disableEvaluation",
                "Alamofire ServerTrustPolicy .disableEvaluation accepts any certificate",
                node,
                "alamofire",
            )


def _in_pattern(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in ("switch_pattern", "pattern", "enum_entry", "statements", "function_body"):
            return parent.type not in ("statements", "function_body")
        parent = parent.parent
    return False


def _always_true(syntax: Syntax, closure: Node) -> bool:
    bodies = [child for child in closure.named_children if child.type == "statements"]
    if len(bodies) != 1:
        return False
    statements = [child for child in bodies[0].named_children if child.type != "comment"]
    if len(statements) != 1:
        return False
    value = syntax.returned(statements[0])
    return bool(syntax.bool_value(value if value is not None else statements[0]) is True)


def _evaluator_options(syntax: Syntax, call: Call, emitter: Emitter) -> None:
    weakened = {
        "acceptSelfSignedCertificates": (True, "accepts self-signed certificates"),
        "performDefaultValidation": (False, "skips the system's default chain validation"),
        "validateCertificateChain": (False, "skips certificate chain validation"),
    }
    for option, (bad, effect) in weakened.items():
        value = call.argument(option)
        if value is not None and syntax.bool_value(value) is bad:
            emitter.trust(
                SERVER_TRUST,
                f"{call.name}.{option}",
                f"Alamofire {call.name}({option}: {text(value)}) {effect}",
                value,
                "alamofire",
                confidence="medium",
            )
    value = call.argument("validateHost")
    if value is not None and syntax.bool_value(value) is False:
        emitter.trust(
            HOSTNAME,
            f"{call.name}.validateHost",
            f"Alamofire {call.name}(validateHost: false) accepts a valid certificate issued for any host",
            value,
            "alamofire",
        )


# --- AFNetworking -------------------------------------------------------------------------------------


def scan_afnetworking(syntax: Syntax, root: Node, emitter: Emitter) -> None:
    bound = bindings_map(syntax, root)
    for call in syntax.calls(root):
        mode: Node | None = None
        certificates: Node | None = None
        if call.selector in ("policyWithPinningMode:", "policyWithPinningMode:withPinnedCertificates:"):
            mode = call.argument("policyWithPinningMode")
            certificates = call.argument("withPinnedCertificates")
        elif call.name == "AFSecurityPolicy" and call.argument("pinningMode") is not None:
            mode = call.argument("pinningMode")
            certificates = call.argument("withPinnedCertificates")
        if mode is None or not emitter.sound(call.node):
            continue
        mode_name = syntax.name_of(mode).lower()
        if mode_name.endswith("certificate"):
            kind = "certificate"
        elif mode_name.endswith("publickey"):
            kind = "any"
        else:
            continue
        if certificates is None:
            certificates = _later_pinned_certificates(syntax, call.node)
        listed = _listed(syntax, certificates, bound) if certificates is not None else None
        what = "certificate" if kind == "certificate" else "public-key"
        _pinning_set("afnetworking", kind, listed, call, (), emitter, f"AFNetworking {what} pinning")


def bound_name(syntax: Syntax, node: Node) -> str:
    """The variable a policy is stored in: ``policy`` for ``AFSecurityPolicy *policy = [...]``."""
    for parent in (node.parent, node.parent.parent if node.parent is not None else None):
        if parent is None:
            continue
        for name, value, _site in syntax.bindings(parent):
            if value is not None and value.id == node.id:
                return name
        if parent.type == "init_declarator":
            for name, _value, _site in syntax.bindings(parent.parent) if parent.parent is not None else []:
                return name
        assigned = syntax.assignment(parent)
        if assigned is not None and assigned[1].id == node.id:
            return syntax.name_of(assigned[0])
    return ""


def _later_pinned_certificates(syntax: Syntax, node: Node) -> Node | None:
    """``policy.pinnedCertificates = [NSSet setWithObject:cert]`` after the policy was made: the set."""
    name = bound_name(syntax, node)
    if not name:
        return None
    scope: Node = node
    for parent in ancestors(node):
        scope = parent
        if parent.type in syntax.function_types:
            break
    found: Node | None = None
    for child in walk(scope):
        if not child.is_named or child.start_byte < node.end_byte:
            continue
        assigned = syntax.assignment(child)
        if assigned is not None:
            target = "".join(text(assigned[0]).split()).lstrip("_")
            if target in (f"{name}.pinnedCertificates", f"self.{name}.pinnedCertificates"):
                found = assigned[1]
            continue
        call = syntax.call(child)
        if (
            call is not None
            and call.selector == "setPinnedCertificates:"
            and call.receiver is not None
            and syntax.name_of(call.receiver) == name
            and call.arguments
        ):
            found = call.arguments[0].value
    return found


# --- certificate fingerprints compared with SHA-1 --------------------------------------------------------

#: Calls that compute SHA-1 (CryptoKit ``Insecure.SHA1``, CommonCrypto ``CC_SHA1``).
_SHA1_CALLS = ("Insecure.SHA1", "CC_SHA1")
#: Words in the enclosing function that show it handles a server's certificate.
_CERTIFICATE_WORDS = ("SecCertificate", "serverTrust", "SecTrust", "ServerTrust")
_FUNCTION_TYPES = ("function_declaration", "lambda_literal", "method_definition", "function_definition",
                   "block_literal", "computed_property")


def scan_sha1_fingerprints(root: Node, emitter: Emitter) -> None:
    """A server certificate (or key) hashed with SHA-1 to compare it with a pinned value: PIN105."""
    for node in emitter.syntax.of_type(root, "call_expression"):
        if not text(node).startswith(_SHA1_CALLS):
            continue
        function = next((item for item in ancestors(node) if item.type in _FUNCTION_TYPES), None)
        if function is None or not any(word in text(function) for word in _CERTIFICATE_WORDS):
            continue
        emitter.add(PinSet(
            origin="urlsession-fingerprint", platform="ios", hosts=(),
            pins=(Pin(text(node).split("(", 1)[0].split(".hash", 1)[0], "sha1", emitter.span(node)),),
            span=emitter.span(node), kind="certificate", count_unknown=True, variant=emitter.variant(node),
            label="certificate fingerprint pinning",
        ))


# --- URLSession / NSURLConnection delegates that pin in code --------------------------------------------

#: Delegate methods that answer a server-trust challenge.
_CHALLENGE_DELEGATES = (
    "urlSession(_:didReceive:completionHandler:)",
    "urlSession(_:task:didReceive:completionHandler:)",
    "URLSession:didReceiveChallenge:completionHandler:",
    "URLSession:task:didReceiveChallenge:completionHandler:",
    "connection:willSendRequestForAuthenticationChallenge:",
)
#: File extensions of certificates an app bundles for pinning.
_CERTIFICATE_TYPES = (".cer", ".der", ".crt")
#: Calls that list every bundled file of a type: the count is whatever the bundle holds.
_BUNDLE_LISTINGS = frozenset({"paths", "urls", "pathsForResourcesOfType", "URLsForResourcesWithExtension"})
#: Operators and calls a delegate compares the server's certificate or key with.
_COMPARISONS = ("==", "isEqual", "elementsEqual", "contains", "memcmp", "isEqualToString")
_CLASS_TYPES = ("class_declaration", "class_implementation", "category_implementation", "protocol_declaration")


def bindings_map(syntax: Syntax, root: Node) -> dict[str, Node]:
    """Every name the file binds to a value (``let url = ...``, ``NSString *path = ...``), first binding wins."""
    found: dict[str, Node] = {}
    for node in syntax.of_type(root, "property_declaration", "declaration", "init_declarator"):
        for name, value, _ in syntax.bindings(node):
            if value is not None and name not in found:
                found[name] = value
    return found


def _resource_name(syntax: Syntax, call: Call, known: dict[str, str]) -> str | None:
    """``"api.cer"`` for ``Bundle.main.url(forResource: "api", withExtension: "cer")`` and the Objective-C
    ``pathForResource:@"api" ofType:@"cer"``; ``""`` when the call loads a resource whose name is not a
    literal; None for any other call."""
    name = call.argument("forResource") or call.argument("pathForResource") or call.argument("URLForResource")
    if name is None:
        return None
    kind = call.argument("ofType") or call.argument("withExtension")
    written = _string(syntax, name, known)
    suffix = _string(syntax, kind, known) if kind is not None else ""
    if written is None or suffix is None:
        return ""
    full = f"{written}.{suffix}" if suffix else written
    return full if full.lower().endswith(_CERTIFICATE_TYPES) else None


def pinned_files(syntax: Syntax, node: Node, bound: dict[str, Node], known: dict[str, str] | None = None,
                 depth: int = 0) -> tuple[str, ...] | None:
    """The certificate files an expression loads from the bundle, following names the file binds
    (``SecCertificateCreateWithData(nil, data)`` where ``data`` is read from ``api.cer``): a tuple of file
    names, ``UNKNOWN_CERTIFICATES`` when it loads a computed name or lists the bundle, None when it loads none."""
    found: list[str] = []
    unknown = False
    for call in syntax.calls(node):
        if call.name in _BUNDLE_LISTINGS and any(
            (syntax.string_value(argument.value) or "").lower().lstrip(".") in ("cer", "der", "crt")
            for argument in call.arguments
        ):
            unknown = True
            continue
        name = _resource_name(syntax, call, known or {})
        if name == "":
            unknown = True
        elif name is not None and name not in found:
            found.append(name)
    if depth < 3:
        for child in walk(node):
            if child.type in ("simple_identifier", "identifier") and text(child) in bound:
                value = _binding_for(syntax, child, bound)
                if value.start_byte <= child.start_byte < value.end_byte:
                    continue
                inner = pinned_files(syntax, value, bound, known, depth + 1)
                if inner == UNKNOWN_CERTIFICATES:
                    unknown = True
                elif inner is not None:
                    found.extend(item for item in inner if item not in found)
    if unknown:
        return UNKNOWN_CERTIFICATES
    return tuple(found) if found else None


def _binding_for(syntax: Syntax, name: Node, bound: dict[str, Node]) -> Node:
    """The value ``name`` is bound to: the last binding before it in its own function, else the file's."""
    written = text(name)
    function = next((parent for parent in ancestors(name) if parent.type in syntax.function_types), None)
    found: Node | None = None
    for node in walk(function) if function is not None else ():
        if node.start_byte >= name.start_byte:
            break
        if node.type in ("property_declaration", "declaration", "init_declarator"):
            for bound_as, value, _ in syntax.bindings(node):
                if bound_as == written and value is not None:
                    found = value
    return found if found is not None else bound[written]


def _in_loop(node: Node, scope: Node) -> bool:
    for parent in ancestors(node):
        if parent.id == scope.id:
            return False
        if parent.type in ("for_statement", "while_statement", "repeat_while_statement", "for_in_statement"):
            return True
    return False


def _challenge_hosts(syntax: Syntax, function: Node, known: dict[str, str]) -> tuple[str, ...]:
    """Hosts the delegate compares ``protectionSpace.host`` with (``host == "api.example.com"``)."""
    hosts: list[str] = []
    for node in walk(function):
        compared = syntax.comparison(node)
        sides = compared[1:] if compared is not None else ()
        call = syntax.call(node) if compared is None else None
        if call is not None and call.name == "isEqualToString" and call.receiver is not None and call.arguments:
            sides = (call.receiver, call.arguments[0].value)
        if len(sides) != 2 or not any(text(side).endswith("host") for side in sides):
            continue
        for side in sides:
            host = _string(syntax, side, known)
            if host and "." in host and host not in hosts:
                hosts.append(host)
    return tuple(hosts)


def scan_delegate_pinning(syntax: Syntax, root: Node, emitter: Emitter, known: dict[str, str]) -> None:
    """Pins a URLSession (or NSURLConnection) challenge delegate compares the server with: the bundled
    certificate files it loads and the SPKI hashes it holds, so ``missing-backup-pin`` can count them.

    The delegate's class is the scope (a pinned certificate is often loaded in a property). A computed
    resource name, a loop, or a listing of every bundled certificate make the count unknown (the bundle
    placeholder, which the certificate resolver replaces with the files the tree holds). A delegate that
    compares with nothing written in the file (pins from a parameter or remote config) yields no set.
    """
    bound = bindings_map(syntax, root)
    for function in syntax.of_type(root, *syntax.function_types):
        if syntax.function_name(function) not in _CHALLENGE_DELEGATES:
            continue
        if not emitter.sound(function) or not any(word in text(function) for word in _COMPARISONS):
            continue
        scope = next((parent for parent in ancestors(function) if parent.type in _CLASS_TYPES), root)
        hosts = _challenge_hosts(syntax, function, known)
        _delegate_certificates(syntax, function, scope, bound, hosts, emitter, known)
        _delegate_keys(syntax, function, scope, hosts, emitter, known, bound)


def _delegate_certificates(syntax: Syntax, function: Node, scope: Node, bound: dict[str, Node],
                           hosts: tuple[str, ...], emitter: Emitter, known: dict[str, str]) -> None:
    files: list[str] = []
    first: Node | None = None
    unknown = False
    for call in syntax.calls(scope):
        if call.name in _BUNDLE_LISTINGS:
            listed = pinned_files(syntax, call.node, {})
            unknown = unknown or listed == UNKNOWN_CERTIFICATES
            first = first or (call.node if listed else None)
            continue
        name = _resource_name(syntax, call, known)
        if name is None:
            continue
        first = first or call.node
        if name == "" or _in_loop(call.node, scope):
            unknown = True
        elif name not in files:
            files.append(name)
    # pinned certificates loaded outside the class, through names the delegate uses
    outside = pinned_files(syntax, function, bound, known)
    if outside == UNKNOWN_CERTIFICATES:
        unknown = True
    for name in outside or ():
        if name not in files and not name.startswith("<bundle"):
            files.append(name)
    if first is None and outside:
        first = next((node for node in walk(function) if node.type in ("simple_identifier", "identifier")
                      and text(node) in bound and pinned_files(syntax, node, bound, known) is not None), function)
    if first is None:
        return
    certificates = UNKNOWN_CERTIFICATES if unknown else tuple(files)
    emitter.add(PinSet(
        origin="urlsession", platform="ios", hosts=hosts, pins=(), span=emitter.span(first), kind="certificate",
        certificates=certificates, variant=emitter.variant(function), label="URLSession delegate certificate pinning",
    ))


def _delegate_keys(syntax: Syntax, function: Node, scope: Node, hosts: tuple[str, ...], emitter: Emitter,
                   known: dict[str, str], bound: dict[str, Node]) -> None:
    pins: list[Pin] = []
    seen: set[str] = set()
    unknown = False
    candidates = [(literal, syntax.string_value(literal)) for literal in syntax.string_literals(scope)]
    # constants the delegate names, reported where they are written
    candidates += [(bound.get(text(node), node), known.get(text(node))) for node in walk(function)
                   if node.type in ("simple_identifier", "identifier") and text(node) in known]
    for node, value in candidates:
        if value is None:
            continue
        pin = Pin(value.strip(), "sha256", emitter.span(node))
        if not pin.is_valid or pin.value in seen:
            continue
        seen.add(pin.value)
        unknown = unknown or _in_loop(node, scope)
        pins.append(pin)
    if not pins:
        return
    emitter.add(PinSet(
        origin="urlsession", platform="ios", hosts=hosts, pins=tuple(pins), span=pins[0].span, kind="any",
        variant=emitter.variant(function), label="URLSession delegate public-key pinning", count_unknown=unknown,
    ))
