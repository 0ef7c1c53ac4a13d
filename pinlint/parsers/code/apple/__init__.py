"""The Swift and Objective-C front end, split by concern.

- ``syntax``: the language-neutral questions (calls, dictionaries, branches) and ``swift``/``objc``, which
  answer them from each grammar;
- ``handlers``: authentication-challenge handlers and the evaluation-gating logic (TRU301, TRU304);
- ``pins``: TrustKit dictionaries, Alamofire evaluators and AFNetworking policies (pin sets, weakened
  evaluators); see its docstring for the ``certificates`` placeholder convention;
- ``settings``: AFNetworking flags, CFStream SSL settings, TLS floors, URL literals;
- ``emit``: spans, the DEBUG variant and the rule that nothing inside an ERROR region becomes a fact.
"""
