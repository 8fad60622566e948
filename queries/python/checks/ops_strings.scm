; OPS: string literals with URLs, string-valued names that hold project ids, and
; type-check bypass comments.
((string) @string (#match? @string "://"))
(assignment left: (identifier) @key right: (string) @value (#match? @key "(?i)project|bucket|app_?id"))
(keyword_argument name: (identifier) @key value: (string) @value (#match? @key "(?i)project|bucket|app_?id"))
(pair key: (string) @key value: (string) @value (#match? @key "(?i)project|bucket|app_?id"))
((comment) @comment (#match? @comment "type: ignore|pyright:"))
