; Log calls (LIFE-DELETE: personal data copied into logs, where deletion never reaches).
(call
  function: (identifier) @logger (#eq? @logger "print")
  arguments: (argument_list) @args) @log
(call
  function: (attribute
    object: (identifier) @logger (#match? @logger "^(logger|logging|log|LOGGER|_logger)$")
    attribute: (identifier) @level (#match? @level "^(debug|info|warning|warn|error|exception|critical)$"))
  arguments: (argument_list) @args) @log
