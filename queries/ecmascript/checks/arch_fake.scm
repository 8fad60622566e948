; Placeholder behaviour (ARCH-FAKE-DONE): comments, literal returns, literal data bound to a
; name, and literal values in objects and variables (hard-coded demo users and the like).
(comment) @comment
(return_statement [(array) (object) (string) (template_string) (number) (true) (false) (null)] @literal) @return
(variable_declarator name: (identifier) @name value: [(array) (object)] @literal) @declaration
(pair key: (_) @key value: (string (string_fragment) @value))
(variable_declarator value: (string (string_fragment) @value))
