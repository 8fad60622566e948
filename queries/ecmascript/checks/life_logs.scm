; Log calls (LIFE-DELETE: personal data copied into logs, where deletion never reaches).
(call_expression
  function: (member_expression
    object: (identifier) @logger (#match? @logger "^(console|logger|log|pino|winston)$")
    property: (property_identifier) @level (#match? @level "^(log|info|warn|error|debug|trace|fatal)$"))
  arguments: (arguments) @args) @log
