; Placeholder behaviour (ARCH-FAKE-DONE): comments, literal returns, literal data bound to a
; name, and literal values in dicts and assignments (hard-coded demo users and the like).
(comment) @comment
(return_statement [(list) (dictionary) (string) (integer) (float) (true) (false) (none)] @literal) @return
(assignment left: (identifier) @name right: [(list) (dictionary)] @literal) @declaration
(pair key: (_) @key value: (string (string_content) @value))
(assignment right: (string (string_content) @value))
