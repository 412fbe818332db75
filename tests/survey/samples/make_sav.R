# Builds limesurvey-60.sav, an SPSS file shaped like LimeSurvey's SPSS export: PERCEPTION and
# FORMATION stored as labelled numbers (labels = French wording), other columns as text.
# Regenerate: Rscript tests/survey/samples/make_sav.R   (Debian: r-cran-haven)
library(haven)
here <- "tests/survey/samples"
data <- read.csv(file.path(here, "simulated-60.csv"), colClasses = "character")
perception <- c("Très négativement" = 1, "Plutôt négativement" = 2,
                "Ni positivement ni négativement" = 3, "Plutôt positivement" = 4,
                "Très positivement" = 5)
codes <- c("tres_negatif", "plutot_negatif", "neutre", "plutot_positif", "tres_positif")
data$PERCEPTION <- labelled(match(data$PERCEPTION, codes), perception)
formation <- c("Non, aucune formation" = 1, "Je me suis formé seul" = 2,
               "Oui, par mon établissement" = 3, "Oui, par une formation externe" = 4)
data$FORMATION <- labelled(match(data$FORMATION, c("aucune", "autodidacte", "etablissement", "externe")),
                           formation)
write_sav(data, file.path(here, "limesurvey-60.sav"))
