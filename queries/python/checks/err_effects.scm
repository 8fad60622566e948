; ERR: what a handler does (inside an except block). Matched inside one node at a time.
(raise_statement) @throw
(return_statement) @return
(continue_statement) @continue
(break_statement) @break
(await) @await
(call function: (_) @callee arguments: (_) @args) @call
(assignment left: (_) @assign)
(augmented_assignment left: (_) @assign)
