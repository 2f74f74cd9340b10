"""Policy catalogue (补贴政策清单): yearly catalogues per region, their policies, change requests."""
from .catalogue import CatalogueState, PolicyCatalogue
from .change import ChangeKind, ChangeRequestStep, ChangeState, PolicyChangeRequest, StepDecision
from .policy import Policy, PolicyBasis, PolicyTier

__all__ = [
    "CatalogueState", "ChangeKind", "ChangeRequestStep", "ChangeState", "Policy", "PolicyBasis",
    "PolicyCatalogue", "PolicyChangeRequest", "PolicyTier", "StepDecision",
]
