# Writes OUTPUT from TEMPLATE with the seed definition files (SEEDS: the
# AMI's, then the label's) as raw string literals. Run at build time, so an
# edited definition file is embedded again without reconfiguring.
list(GET SEEDS 0 sud)
list(GET SEEDS 1 label)
file(READ ${sud} PARCOURS_SEED_SUD_JSON)
file(READ ${label} PARCOURS_SEED_LABEL_JSON)
foreach(json PARCOURS_SEED_SUD_JSON PARCOURS_SEED_LABEL_JSON)
  string(FIND "${${json}}" ")parcours_json" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "a seed definition contains the raw string delimiter )parcours_json")
  endif()
endforeach()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
