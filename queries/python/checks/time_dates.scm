; Dates and time zones (TIME-TZ): naive now/today/fromtimestamp, SQLAlchemy DateTime columns
; without timezone=True, Django's USE_TZ = False.
(call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method
    (#match? @method "^(now|utcnow|today|fromtimestamp|utcfromtimestamp)$"))
  arguments: (argument_list) @args) @naive
(call
  function: (identifier) @column (#match? @column "^(Column|mapped_column)$")
  arguments: (argument_list (identifier) @type (#eq? @type "DateTime"))) @datetime_column
(call
  function: [(identifier) @type (attribute attribute: (identifier) @type)]
  (#eq? @type "DateTime")
  arguments: (argument_list) @args) @datetime_call
(assignment left: (identifier) @setting (#eq? @setting "USE_TZ") right: (false)) @use_tz
