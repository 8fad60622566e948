; OBS: log calls, server constructors and starts, logger setup, health routes.
; Read by src/checks/obs.rs; the callee filter keeps the other calls out.
(call_expression
  function: (_) @callee
  arguments: (arguments) @args
  (#match? @callee "(console|log|Log|LOG|print|express|astify|Koa|NestFactory|reateServer|listen|serve|pino|winston|bunyan|log4js)")) @call
(new_expression
  constructor: (_) @callee
  arguments: (arguments) @args
  (#match? @callee "(Koa|Fastify)")) @call
(call_expression
  arguments: (arguments . [(string (string_fragment) @route) (template_string) @route])
  (#match? @route "(?i)(health|ready|live|ping|status|^/?up/?$)")) @route.call
