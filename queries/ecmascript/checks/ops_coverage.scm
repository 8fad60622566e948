; OPS-TEST-THEATRE: coverage include/exclude lists in vitest, vite and jest configs.
(pair
  key: (property_identifier) @_coverage (#eq? @_coverage "coverage")
  value: (object
    (pair key: [(property_identifier) (string)] @list.key value: (array) @list)))
(pair
  key: [(property_identifier) (string)] @list.key
  (#match? @list.key "^['\"]?(collectCoverageFrom|coveragePathIgnorePatterns)['\"]?$")
  value: (array) @list)
