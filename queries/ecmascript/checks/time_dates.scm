; Dates and time zones (TIME-TZ): parsing with new Date(x), local-time formatting and
; calendar accessors, and date-fns format(new Date(x), "pattern").
(new_expression
  constructor: (identifier) @ctor (#eq? @ctor "Date")
  arguments: (arguments . (_) @arg .)) @parse
(call_expression
  function: (member_expression
    object: (_) @object
    property: (property_identifier) @method
    (#match? @method "^(toLocaleString|toLocaleDateString|toLocaleTimeString|toDateString|toTimeString|getDate|getDay|getHours|setDate|setMonth|setFullYear|setHours|setMinutes)$"))
  arguments: (arguments) @args) @local
(call_expression
  function: (identifier) @format (#eq? @format "format")
  arguments: (arguments . (_) @value . (string (string_fragment) @pattern))) @formatted
