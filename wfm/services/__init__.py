"""Application services: each public function is one transaction that checks permission,
checks the centre's rules, writes the change and an audit record, and commits — or changes
nothing. Pages and the CLI only call these and translate their errors into messages."""
