; Calls and nested functions inside a node (see arch_effects).
(call_expression function: (_) @callee) @call
[(arrow_function) (function_expression) (function_declaration)] @function
