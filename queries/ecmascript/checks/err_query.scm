; ERR: React Query mutations, their call sites and hook bindings. Read by src/checks/err.rs.

; const m = useMutation({ … })
(variable_declarator
  name: (_) @mutation.var
  value: (call_expression
    function: (identifier) @_um (#eq? @_um "useMutation")
    arguments: (arguments . (object) @mutation.options)) @mutation.bound)

; useMutation({ … }) anywhere (returned from a custom hook)
(call_expression
  function: (identifier) @_um2 (#eq? @_um2 "useMutation")
  arguments: (arguments . (object) @mutation.options)) @mutation

; m.mutate(vars, { onError }) / await m.mutateAsync(vars)
(call_expression
  function: (member_expression
    object: (identifier) @mutate.target
    property: (property_identifier) @mutate.method (#match? @mutate.method "^(mutate|mutateAsync)$"))
  arguments: (_) @mutate.args) @mutate

; const v = useSomething()
(variable_declarator
  name: (identifier) @hook.var
  value: (call_expression function: (identifier) @hook.fn)) @hook
