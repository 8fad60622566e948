; AUTH: function parameters, with their annotation and default (user = Depends(get_current_user)).
(parameters (identifier) @name) @param
(parameters (typed_parameter (identifier) @name type: (_) @type)) @param
(parameters (default_parameter name: (identifier) @name value: (_) @default)) @param
(parameters
  (typed_default_parameter name: (identifier) @name type: (_) @type value: (_) @default)) @param
