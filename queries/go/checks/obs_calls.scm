; OBS: server constructors and starts, logger setup, health routes.
(call_expression
  function: (_) @callee
  arguments: (argument_list) @args
  (#match? @callee "(gin|echo|fiber|chi|mux|http|Listen|Run|slog|zap)")) @call
(call_expression
  arguments: (argument_list . (interpreted_string_literal) @route)
  (#match? @route "(?i)(health|ready|live|ping|status|\"/?up/?\")")) @route.call
