; OPS-TEST-THEATRE: test functions and skip decorators.
(function_definition name: (identifier) @case.runner body: (block) @case.body) @case
(decorated_definition (decorator) @marked.decorator definition: (function_definition name: (identifier) @marked.name)) @marked
(decorated_definition (decorator) @marked.decorator definition: (class_definition name: (identifier) @marked.name)) @marked
