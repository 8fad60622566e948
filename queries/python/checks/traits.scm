; What a file does, for its roles: every call's callee and every decorator.
(call function: (_) @callee) @call
(decorator (_) @decorator)
