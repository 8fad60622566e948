; AUTH: where requests enter a file. Shared by TypeScript, TSX and JavaScript.

; Deno.serve(handler), serve(handler), export default withAuth(handler): a call whose last
; argument is a function.
(call_expression
  function: (_) @serve.callee
  arguments: (arguments [(arrow_function) (function_expression)] @serve.handler .)) @serve

; app.get("/invoices/:id", requireAuth, handler): a path, middleware, then the handler.
(call_expression
  function: (member_expression
    object: (_) @route.receiver
    property: (property_identifier) @route.verb)
  arguments: (arguments
    .
    [(string) (template_string)] @route.path
    [(arrow_function) (function_expression) (identifier) (member_expression) (call_expression)] @route.handler
    .) @route.args) @route

; app.use(requireAuth), app.use("/api", requireAuth, apiRouter), app.route("/x", sub),
; fastify.register(plugin, { prefix }), fastify.addHook("onRequest", auth).
(call_expression
  function: (member_expression
    object: (_) @use.receiver
    property: (property_identifier) @use.verb)
  arguments: (arguments) @use.args) @use

; export async function GET(req) {}, export default function handler(req, res) {}
(export_statement
  declaration: (function_declaration
    name: (identifier) @export.name) @export.value) @export

; export const GET = auth(async (req) => {}), export const revalidate = 60
(export_statement
  declaration: (lexical_declaration
    (variable_declarator
      name: (identifier) @export.name
      value: (_) @export.value))) @export

; export default withApiAuthRequired(handler), export default handler
(export_statement
  "default"
  value: (_) @export.value) @export.default

; export { handler as GET, handler as POST }
(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @export.local
      alias: (identifier)? @export.name))) @export.clause
