; AUTH: names bound to values (const x = …, const { a, b: c } = …, x = …), for taint and
; client tracking.
(variable_declarator name: (_) @name value: (_) @value) @decl
(assignment_expression left: (_) @name right: (_) @value) @decl
