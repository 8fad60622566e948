; AUTH: where requests enter a Python file: decorated functions (@app.get, @router.post,
; @bp.route, @login_required), plain view functions and class-based views.
(decorated_definition
  (decorator (_) @decorator)
  definition: (function_definition
    name: (identifier) @name
    parameters: (parameters) @params
    body: (block) @body)) @function

(module
  (function_definition
    name: (identifier) @name
    parameters: (parameters) @params
    body: (block) @body) @function)

(class_definition
  name: (identifier) @class.name
  superclasses: (argument_list)? @class.bases
  body: (block) @class.body) @class

(decorated_definition
  (decorator (_) @class.decorator)
  definition: (class_definition) @class)
