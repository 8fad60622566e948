(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: [(constant) (scope_resolution)] @name) @definition.class
(module name: [(constant) (scope_resolution)] @name) @definition.module

(program (method) @exported)
(program (class) @exported)
(program (module) @exported)

(call
  method: (identifier) @_req (#match? @_req "^(require|require_relative|load)$")
  arguments: (argument_list . (string (string_content) @import.require)))

(comment) @comment
