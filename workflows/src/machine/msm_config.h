// Boost.MPL and Fusion size limits for the Boost.MSM machines. Included
// first by every translation unit that instantiates a machine: a transition
// table over 20 rows and a machine over 10 states need larger limits than
// the preprocessed defaults, and every such unit must agree on them.
#pragma once

#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_LIMIT_VECTOR_SIZE 50
#define BOOST_MPL_LIMIT_MAP_SIZE 50
#define FUSION_MAX_VECTOR_SIZE 20
#define FUSION_MAX_SET_SIZE 20

// MSM 1.74 includes Boost headers that print deprecation notes on every
// build (bind placeholders, no_exceptions_support); they are Boost's own
// business, not ours, and would hide our diagnostics.
#define BOOST_ALLOW_DEPRECATED_HEADERS
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
