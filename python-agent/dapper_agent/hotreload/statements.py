"""Statement-level differences of a module or class body, from the AST.

Used only when the compiled body shows that something other than the bodies of its
functions changed (new, removed or re-decorated definitions, changed defaults, constants,
other statements): parsing costs about as much as compiling, so the common path skips it.
"""

import ast
import copy

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class BodyDiff:
    """How a body (module or class) changed between two versions of the source."""

    def __init__(self, old_body, new_body, pending=frozenset()):
        old_groups = definition_groups(old_body)
        new_groups = definition_groups(new_body)
        self.new_groups = new_groups
        self.old_groups = old_groups
        self.added = [name for name in new_groups if name not in old_groups]
        self.removed = [name for name in old_groups if name not in new_groups]
        self.header_changed = [
            name for name in new_groups
            if name in old_groups and _group_headers(old_groups[name]) != _group_headers(new_groups[name])
        ]
        self.decorators_changed = {
            name for name in self.header_changed
            if [_dump_all(n.decorator_list) for n in old_groups[name]]
            != [_dump_all(n.decorator_list) for n in new_groups[name]]
        }
        self.old_docstring = _docstring(old_body)
        self.new_docstring = _docstring(new_body)
        self.changed_statements = _changed_statements(old_body, new_body, pending)


def definition_groups(body):
    """name -> the def/class statements binding it, in order (a property and its setter share one)."""
    groups = {}
    for node in body:
        if isinstance(node, _DEFINITIONS):
            groups.setdefault(node.name, []).append(node)
    return groups


def is_class_group(group):
    return isinstance(group[-1], ast.ClassDef)


def _dump_all(nodes):
    return [ast.dump(node) for node in nodes if node is not None]


def _header(node):
    if isinstance(node, ast.ClassDef):
        return ("class", _dump_all(node.decorator_list), _dump_all(node.bases), _dump_all(node.keywords))
    kind = "async" if isinstance(node, ast.AsyncFunctionDef) else "def"
    return (kind, _dump_all(node.decorator_list), ast.dump(node.args), _dump_all([node.returns]))


def _group_headers(group):
    return [_header(node) for node in group]


def _docstring(body):
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[0].value.value
    return None


class _HideFunctionBodies(ast.NodeTransformer):
    """Function and lambda bodies inside other statements are patched through their code objects."""

    def visit_FunctionDef(self, node):
        node = self.generic_visit(node)
        node.body = [ast.Pass()]
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        node = self.generic_visit(node)
        node.body = ast.Constant(None)
        return node


def _statement_key(node):
    return ast.dump(_HideFunctionBodies().visit(_copy(node)))


def _copy(node):
    return copy.deepcopy(node)


def _changed_statements(old_body, new_body, pending):
    """Non-definition statements of the new body that the old body did not have.

    `pending` holds statements an earlier apply reported as not applied: they still count as
    changed, so applying again (e.g. with reExecuteModuleBody) does not lose them.
    """
    remaining = {}
    for node in old_body:
        if not isinstance(node, _DEFINITIONS):
            key = ast.dump(node)
            remaining[key] = remaining.get(key, 0) + 1
    changed = []
    unmatched_old = None
    for index, node in enumerate(new_body):
        if isinstance(node, _DEFINITIONS):
            continue
        if index == 0 and _docstring(new_body) is not None:
            continue
        key = ast.dump(node)
        if key in pending:
            changed.append(node)
            continue
        if remaining.get(key):
            remaining[key] -= 1
            continue
        if unmatched_old is None:
            unmatched_old = {}
            for old in old_body:
                if not isinstance(old, _DEFINITIONS) and remaining.get(ast.dump(old)):
                    shell = _statement_key(old)
                    unmatched_old[shell] = unmatched_old.get(shell, 0) + 1
        shell = _statement_key(node)
        if unmatched_old.get(shell):
            unmatched_old[shell] -= 1  # only function bodies inside it changed
            continue
        changed.append(node)
    return changed


def statement_key(node):
    return ast.dump(node)


def simple_constant_assignment(node):
    """(names, value) for `X = <literal>` / `A, B = <literal tuple>` / `X: T = <literal>`, else None."""
    if isinstance(node, ast.Assign):
        targets, value_node = node.targets, node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None and node.simple:
        targets, value_node = [node.target], node.value
    else:
        return None
    try:
        value = ast.literal_eval(value_node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    bindings = []
    for target in targets:
        pairs = _bind(target, value)
        if pairs is None:
            return None
        bindings.extend(pairs)
    return bindings


def _bind(target, value):
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (tuple, list)) \
            and len(target.elts) == len(value) \
            and not any(isinstance(element, ast.Starred) for element in target.elts):
        pairs = []
        for element, item in zip(target.elts, value):
            inner = _bind(element, item)
            if inner is None:
                return None
            pairs.extend(inner)
        return pairs
    return None


def is_import(node):
    return isinstance(node, (ast.Import, ast.ImportFrom)) and not (
        isinstance(node, ast.ImportFrom) and node.module == "__future__")


def class_nodes(body, prefix=""):
    """qualname -> ClassDef for classes defined at module level and nested in classes."""
    found = {}
    for node in body:
        if isinstance(node, ast.ClassDef):
            qualname = prefix + node.name
            found[qualname] = node
            found.update(class_nodes(node.body, qualname + "."))
    return found
