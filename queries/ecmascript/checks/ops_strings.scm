; OPS: string literals (hard-coded URLs and hosts) and string-valued names (project ids).
; Read by src/checks/ops.rs.
(string) @string
(template_string) @string
(pair key: [(property_identifier) (string)] @key value: (string) @value)
(variable_declarator name: (identifier) @key value: (string) @value)
(comment) @comment
