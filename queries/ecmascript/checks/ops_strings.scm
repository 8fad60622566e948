; OPS: string literals with URLs, string-valued names that hold project ids, and
; type-check bypass comments. Read by src/checks/ops.rs.
((string) @string (#match? @string "://"))
((template_string) @string (#match? @string "://"))
(pair
  key: [(property_identifier) (string)] @key
  value: (string) @value
  (#match? @key "(?i)project|bucket|auth_?domain|app_?id|measurement"))
(variable_declarator
  name: (identifier) @key
  value: (string) @value
  (#match? @key "(?i)project|bucket|auth_?domain|app_?id|measurement"))
((comment) @comment (#match? @comment "@ts-|type: ignore|pyright:"))
