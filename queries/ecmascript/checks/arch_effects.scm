; Data fetched by hand inside React effects (useEffect + useState), for ARCH-PATTERNS: the
; effect's body, the calls in it and the functions nested in it (a call inside a nested
; callback, such as an auth subscription, is not the effect's own fetch).
(call_expression
  function: [(identifier) @hook (member_expression property: (property_identifier) @hook)]
  (#eq? @hook "useEffect")
  arguments: (arguments . [(arrow_function body: (statement_block) @body) (function_expression body: (statement_block) @body)]))
