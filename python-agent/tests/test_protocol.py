"""The agent's protocol constants are the ones common/protocol/*.schema.json declares."""

import importlib
import unittest

from dapper_agent import PROTOCOL_VERSION, commands
from dapper_agent.hotreload import diagnostics

from .protocol_check import load_schema


class ProtocolDeclarationsTest(unittest.TestCase):
    def test_diagnostic_codes_are_the_declared_ones(self):
        # Codes marked "sentBy": "adapter" are refusals the adapter makes before asking the agent.
        declared = {
            entry["const"]
            for entry in load_schema("dapper.schema.json")["definitions"]["DiagnosticCode"]["anyOf"]
            if entry.get("sentBy") != "adapter"
        }
        used = {
            value
            for name, value in vars(diagnostics).items()
            if name.isupper() and isinstance(value, str) and value not in (diagnostics.ERROR, diagnostics.WARNING, diagnostics.INFO)
        }
        self.assertEqual(sorted(used - declared), [], "codes the agent can send that the schema does not declare")
        self.assertEqual(sorted(declared - used), [], "codes the schema declares that the agent never sends")

    def test_severities_are_the_declared_ones(self):
        declared = load_schema("dapper.schema.json")["definitions"]["DiagnosticSeverity"]["enum"]
        self.assertEqual(sorted(declared), sorted([diagnostics.ERROR, diagnostics.WARNING, diagnostics.INFO]))

    def test_commands_are_the_declared_ones(self):
        commands.load_handlers()
        declared = set(load_schema("agent.schema.json")["requests"])
        handled = set(commands.registered_commands())
        self.assertEqual(sorted(handled - declared), [], "commands the agent handles that agent.schema.json does not declare")
        self.assertEqual(sorted(declared - handled), [], "commands agent.schema.json declares that the agent does not handle")

    def test_each_command_is_registered_by_the_module_that_loads_it(self):
        # Handler modules are imported on their commands' first requests: the table that says
        # which module that is must match what each module registers when imported.
        for module_name in sorted(set(commands._COMMAND_MODULES.values())):
            importlib.import_module(module_name)
        registered = {name: commands.handler_for(name).__module__ for name in commands._HANDLERS}
        self.assertEqual(registered, commands._COMMAND_MODULES)

    def test_hello_protocol_version_is_the_declared_one(self):
        self.assertEqual(PROTOCOL_VERSION, load_schema("agent.schema.json")["protocolVersion"])


if __name__ == "__main__":
    unittest.main()
