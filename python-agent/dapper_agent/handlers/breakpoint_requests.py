"""setBreakpoints, setFunctionBreakpoints, setExceptionBreakpoints, breakpointLocations."""

from ..commands import CommandError, command


@command("setBreakpoints")
def set_breakpoints(session, arguments):
    source = arguments.get("source") or {}
    path = source.get("path")
    if not path:
        raise CommandError("setBreakpoints needs source.path (breakpoints in code without a file are not supported).")
    specs = arguments.get("breakpoints")
    if specs is None:
        specs = [{"line": line} for line in arguments.get("lines") or []]
    result = session.breakpoints.set_file(path, specs)
    session.rearm()
    return {"breakpoints": [bp.to_dap() for bp in result]}


@command("setFunctionBreakpoints")
def set_function_breakpoints(session, arguments):
    result = session.breakpoints.set_functions(arguments.get("breakpoints") or [])
    session.rearm()
    return {"breakpoints": [bp.to_dap() for bp in result]}


@command("setExceptionBreakpoints")
def set_exception_breakpoints(session, arguments):
    filters = list(arguments.get("filters") or [])
    for option in arguments.get("filterOptions") or []:
        filters.append(option.get("filterId"))
    unknown = session.breakpoints.set_exception_filters(filters)
    session.rearm()
    body = {"breakpoints": [{"verified": f not in unknown} for f in filters]}
    if unknown:
        for entry, name in zip(body["breakpoints"], filters):
            if name in unknown:
                entry["message"] = "Unknown exception filter '%s'; use raised, uncaught or userUnhandled." % name
    return body


@command("breakpointLocations")
def breakpoint_locations(session, arguments):
    path = (arguments.get("source") or {}).get("path")
    if not path:
        return {"breakpoints": []}
    line = int(arguments.get("line", 1))
    end_line = int(arguments.get("endLine") or line)
    lines = session.breakpoints.lines.for_file(path)
    if lines.error:
        return {"breakpoints": []}
    return {"breakpoints": [{"line": n} for n in range(line, end_line + 1) if n in lines.lines]}
