; OBS: log calls, server constructors and starts, logger setup, health routes.
(call
  function: (_) @callee
  arguments: (argument_list) @args
  (#match? @callee "(print|log|LOG|FastAPI|Flask|Starlette|Quart|Sanic|Application|application|run|serve|structlog|loguru|logger)")) @call
(call
  arguments: (argument_list . (string (string_content) @route))
  (#match? @route "(?i)(health|ready|live|ping|status|^/?up/?$)")) @route.call
