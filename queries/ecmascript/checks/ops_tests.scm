; OPS-TEST-THEATRE: test cases, skipped and focused tests. Read by src/checks/ops.rs.

; it.skip(…), describe.only(…), test.todo(…)
(call_expression
  function: (member_expression
    object: (identifier) @marked.runner
    property: (property_identifier) @marked.modifier)) @marked

; xit(…), fdescribe(…)
(call_expression function: (identifier) @marked.alias) @marked

; it("name", () => { … }) / test("name", async function () { … })
(call_expression
  function: (identifier) @case.runner
  arguments: (arguments . (_) @case.name . [
    (arrow_function body: (_) @case.body)
    (function_expression body: (_) @case.body)
  ])) @case
