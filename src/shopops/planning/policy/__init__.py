"""Inventory-policy mathematics: loss functions, EOQ, newsvendor, (r, Q) and (s, S) policies.

Pure, vectorised engines: every function takes scalars or NumPy arrays with one entry per
SKU x warehouse row and returns arrays (or a result table with ``to_frame()``) that keep the
inputs beside the answers. Nothing here reads files, databases or settings.
"""

from shopops.planning.policy._arrays import PolicyTable
from shopops.planning.policy.discounts import (
    DiscountedOrderQuantity,
    DiscountKind,
    discounted_order_quantity,
)
from shopops.planning.policy.eoq import (
    OrderQuantity,
    economic_order_quantity,
    economic_order_quantity_with_backorders,
    economic_production_quantity,
)
from shopops.planning.policy.lead_time import LeadTimeDemand, compute_lead_time_demand
from shopops.planning.policy.loss_continuous import (
    exponential_loss,
    exponential_second_loss,
    gamma_loss,
    gamma_second_loss,
    lognormal_loss,
    lognormal_second_loss,
)
from shopops.planning.policy.loss_discrete import (
    discrete_loss,
    discrete_second_loss,
    negative_binomial_loss,
    negative_binomial_parameters,
    negative_binomial_second_loss,
    poisson_loss,
    poisson_quantile,
    poisson_second_loss,
    poisson_shortage,
)
from shopops.planning.policy.loss_normal import (
    LossPair,
    inverse_standard_normal_loss,
    inverse_standard_normal_second_loss,
    normal_loss,
    normal_second_loss,
    normal_second_shortage,
    normal_shortage,
    standard_normal_loss,
    standard_normal_pdf,
    standard_normal_second_loss,
)
from shopops.planning.policy.newsvendor import (
    NewsvendorLevel,
    OneShotBuy,
    newsvendor_discrete,
    newsvendor_normal,
    newsvendor_poisson,
    one_shot_buy,
)
from shopops.planning.policy.rq_approx import (
    EILPolicy,
    r_q_eil_approximation,
    r_q_eoq_safety_stock_approximation,
    r_q_eoqb_approximation,
    r_q_loss_function_approximation,
)
from shopops.planning.policy.rq_normal import (
    RQPolicy,
    r_q_cost_normal,
    r_q_exact_normal,
    r_q_optimal_reorder_point_normal,
)
from shopops.planning.policy.rq_poisson import r_q_cost_poisson, r_q_exact_poisson
from shopops.planning.policy.service import (
    ServiceStock,
    order_up_to_level,
    reorder_point_for_cycle_service,
    reorder_point_for_fill_rate,
)
from shopops.planning.policy.ss_poisson import SSPolicy, s_s_cost_poisson, s_s_exact_poisson
from shopops.planning.policy.ss_power import s_s_power_approximation
from shopops.planning.policy.standard import POLICY_INPUTS, compute_policies

__all__ = [
    "POLICY_INPUTS",
    "DiscountKind",
    "DiscountedOrderQuantity",
    "EILPolicy",
    "LeadTimeDemand",
    "LossPair",
    "NewsvendorLevel",
    "OneShotBuy",
    "OrderQuantity",
    "PolicyTable",
    "RQPolicy",
    "SSPolicy",
    "ServiceStock",
    "compute_lead_time_demand",
    "compute_policies",
    "discounted_order_quantity",
    "discrete_loss",
    "discrete_second_loss",
    "economic_order_quantity",
    "economic_order_quantity_with_backorders",
    "economic_production_quantity",
    "exponential_loss",
    "exponential_second_loss",
    "gamma_loss",
    "gamma_second_loss",
    "inverse_standard_normal_loss",
    "inverse_standard_normal_second_loss",
    "lognormal_loss",
    "lognormal_second_loss",
    "negative_binomial_loss",
    "negative_binomial_parameters",
    "negative_binomial_second_loss",
    "newsvendor_discrete",
    "newsvendor_normal",
    "newsvendor_poisson",
    "normal_loss",
    "normal_second_loss",
    "normal_second_shortage",
    "normal_shortage",
    "one_shot_buy",
    "order_up_to_level",
    "poisson_loss",
    "poisson_quantile",
    "poisson_second_loss",
    "poisson_shortage",
    "r_q_cost_normal",
    "r_q_cost_poisson",
    "r_q_eil_approximation",
    "r_q_eoq_safety_stock_approximation",
    "r_q_eoqb_approximation",
    "r_q_exact_normal",
    "r_q_exact_poisson",
    "r_q_loss_function_approximation",
    "r_q_optimal_reorder_point_normal",
    "reorder_point_for_cycle_service",
    "reorder_point_for_fill_rate",
    "s_s_cost_poisson",
    "s_s_exact_poisson",
    "s_s_power_approximation",
    "standard_normal_loss",
    "standard_normal_pdf",
    "standard_normal_second_loss",
]
