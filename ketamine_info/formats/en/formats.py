# The month written out, as every public page showed it before there was a Spanish edition
# ("December 6, 2026"); Django's English default abbreviates it ("Dec. 6, 2026").
DATE_FORMAT = "F j, Y"
