"""The Swift and Objective-C front end, split by concern.

- ``syntax``: the language-neutral questions (calls, dictionaries, branches) and ``swift``/``objc``, which
  answer them from each grammar; a ``Syntax`` walks its file's tree once and every detector reads that walk;
- ``handlers``: authentication-challenge handlers: finds the answers and decisions and reads the accepting
  paths of each handler as neutral ``TrustCallback`` facts (the trust checks decide TRU301, TRU304, TRU306);
- ``lowering``: a handler's statements in the shared statement form, for ``codeutil.accepting_paths``;
- ``vocabulary``: the Apple calls and words those two read (answers, evaluations, comparisons, extractors);
- ``pins``: TrustKit dictionaries, Alamofire evaluators and AFNetworking policies (pin sets, weakened
  evaluators); see its docstring for the ``certificates`` placeholder convention;
- ``settings``: AFNetworking flags, CFStream SSL settings, TLS floors, URL literals;
- ``emit``: spans, the DEBUG variant and the rule that nothing inside an ERROR region becomes a fact.
"""
