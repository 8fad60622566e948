; ERR: what a handler does (inside a catch body, an if branch, a callback). Read by
; src/checks/err.rs, which matches it inside one node at a time.
(throw_statement) @throw
(return_statement) @return
(continue_statement) @continue
(break_statement) @break
(await_expression) @await
(call_expression function: (_) @callee arguments: (_) @args) @call
(new_expression constructor: (_) @callee arguments: (_) @args) @call
(assignment_expression left: (_) @assign) 
(augmented_assignment_expression left: (_) @assign)
(update_expression argument: (_) @assign)
