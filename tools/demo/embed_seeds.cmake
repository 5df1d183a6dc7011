# Writes OUTPUT from TEMPLATE with the seed definition files (SEED_SUD, the
# AMI's, and SEED_LABEL, the label's) as raw string literals. Run at build time, so an
# edited definition file is embedded again without reconfiguring.
file(READ ${SEED_SUD} PARCOURS_SEED_SUD_JSON)
file(READ ${SEED_LABEL} PARCOURS_SEED_LABEL_JSON)
foreach(json PARCOURS_SEED_SUD_JSON PARCOURS_SEED_LABEL_JSON)
  string(FIND "${${json}}" ")parcours_json" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "a seed definition contains the raw string delimiter )parcours_json")
  endif()
endforeach()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
