"""Parameter validation in scikit-learn's constraint language, made cheap.

scikit-learn's ``validate_parameter_constraints`` turns every constraint
into an object on every call: for a path or a fit on a small problem that
is a large share of the time outside the solver. :func:`check_parameters`
builds the objects once per constraints dict and remembers the plain
scalar values it found valid; any value that fails goes to scikit-learn's
validator, which raises its usual error.
"""

from sklearn.utils._param_validation import (
    make_constraint,
    validate_parameter_constraints,
)

# id(constraints) -> (constraints, {name: [constraint objects]}); the dict
# itself is kept so that a recycled id is never mistaken for it.
_BUILT = {}
# (id(constraints), name, type, value) of plain scalars found valid.
_ACCEPTED_SCALARS = set()
_PLAIN_SCALARS = (type(None), bool, int, float, str)
_MAX_ACCEPTED = 4096


def _constraint_objects(constraints):
    """The constraint objects of ``constraints``, built on first use."""
    entry = _BUILT.get(id(constraints))
    if entry is None or entry[0] is not constraints:
        entry = (constraints, {
            name: [make_constraint(option) for option in options]
            for name, options in constraints.items()
            if options != "no_validation"
        })
        _BUILT[id(constraints)] = entry
    return entry[1]


def check_parameters(constraints, values, caller_name):
    """Validate ``values`` as ``validate_parameter_constraints`` would.

    Parameters
    ----------
    constraints : dict
        Parameter name to a list of scikit-learn constraints (or
        ``"no_validation"``), as in ``_parameter_constraints``.
    values : dict
        Parameter name to value; names without constraints are not checked.
    caller_name : str
        Named in the error.

    Raises
    ------
    sklearn.utils._param_validation.InvalidParameterError
        From scikit-learn's validator, for the first invalid value.
    """
    built = _constraint_objects(constraints)
    for name, value in values.items():
        options = built.get(name)
        if options is None:
            continue
        key = None
        if type(value) in _PLAIN_SCALARS:
            key = (id(constraints), name, type(value), value)
            if key in _ACCEPTED_SCALARS:
                continue
        if not any(option.is_satisfied_by(value) for option in options):
            validate_parameter_constraints(constraints, values,
                                           caller_name=caller_name)
        if key is not None and len(_ACCEPTED_SCALARS) < _MAX_ACCEPTED:
            _ACCEPTED_SCALARS.add(key)
