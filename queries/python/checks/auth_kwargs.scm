; AUTH: keyword arguments (objects.get(pk=pk, owner=request.user)).
(keyword_argument name: (identifier) @key value: (_) @value) @pair
