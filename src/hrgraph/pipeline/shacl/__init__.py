"""hrgraph's SHACL engine: SHACL Core and SPARQL-based constraints, fast enough to gate a million triples.

The data graph is indexed once in plain dictionaries (`graph.DataGraph`) and every constraint is checked over
all its focus nodes at once by the module of its family (value_type, cardinality, value_range, string_based,
property_pair, logical, shape_based, other, sparql), as pySHACL divides them. Why not pySHACL itself: it
walks rdflib's generic store node by node and takes minutes on 1M triples. Why no longer SPARQL on
pyoxigraph for everything (this engine's first form): copying the graph into the store cost as much as the
checks, and many small queries paid a fixed cost each; only SPARQL constraints run there now, on a mirror
of the few predicates they read.

Conformance: the W3C SHACL Core test suite runs in `make test` (tests/pipeline/test_shacl_core.py); what
`shapes.Shapes` refuses as `Unsupported` is validated with pySHACL by the callers.
"""

from hrgraph.pipeline.shacl.engine import Validator, validate
from hrgraph.pipeline.shacl.graph import DataGraph
from hrgraph.pipeline.shacl.paths import BadShape
from hrgraph.pipeline.shacl.report import Result, blocks, conforms, report_graph
from hrgraph.pipeline.shacl.shapes import Shapes, Unsupported

__all__ = ["BadShape", "DataGraph", "Result", "Shapes", "Unsupported", "Validator", "blocks", "conforms",
           "report_graph", "validate"]
