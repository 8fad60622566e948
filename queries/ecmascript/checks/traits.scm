; What a file does, for its roles (entry point, client, money, auth, data writes): every
; call's callee, and directives such as "use client". Shared by TypeScript, TSX and JavaScript.
(call_expression function: (_) @callee) @call
(new_expression constructor: (_) @callee) @call
(program (expression_statement (string (string_fragment) @directive)))
