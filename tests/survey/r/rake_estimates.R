# Reference values from R's survey package for tests/survey/test_against_r.py.
#
# Regenerate (Debian: apt-get install r-base-core r-cran-survey):
#   Rscript tests/survey/r/rake_estimates.R tests/survey/r/respondents.csv \
#       tests/survey/r/margins.csv tests/survey/r/expected_rake_estimates.json
#
# Design: svydesign(ids = ~1, weights = 1) raked with rake() to the margins (totals = share x n),
# then for every question, answer and domain (all respondents who answered, or one subgroup):
# svymean() estimate and SE, svyciprop(method = "logit"), "xlogit" and "beta" intervals. "logit"
# fits svyglm(quasibinomial); where that glm diverges (some small calibrated domains in survey
# 4.1-1: NaN or 0 bounds) "xlogit" is the same interval by the delta method, which sentinelle uses.
# The jackknife part uses as.svrepdesign(svydesign(ids = ~ETAB_ID), type = "JK1") raked the same way.
suppressMessages(library(survey))
library(jsonlite)

args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], colClasses = "character", na.strings = character(0))
margins <- read.csv(args[2], comment.char = "#", colClasses = c("character", "character", "numeric"))
n <- nrow(data)
data$w0 <- 1

variables <- unique(margins$variable)
sample_margins <- lapply(variables, function(v) as.formula(paste0("~", v)))
population_margins <- lapply(variables, function(v) {
  rows <- margins[margins$variable == v, ]
  frame <- data.frame(rows$category, Freq = rows$share * n)
  names(frame)[1] <- v
  frame
})
control <- list(maxit = 500, epsilon = 1e-13, verbose = FALSE)

questions <- c("PERCEPTION", "USAGE", "OUTILS_perso", "BENEF_TEMPS", "FORMATION")
bys <- c("GROUPE_PRO", "ETAB_TYPE")

one_row <- function(design, question, answer, group, by, replicate) {
  n_base <- sum(weights(design, "sampling") != 0 & design$variables[[question]] != "")
  m <- svymean(~y, design)
  est <- as.numeric(coef(m))
  row <- list(question = question, answer = answer, group = group, by = by, n = n_base,
              estimate = est, se = as.numeric(SE(m)))
  if (est > 0 && est < 1) {
    logit <- attr(svyciprop(~y, design, method = "logit"), "ci")
    beta <- attr(svyciprop(~y, design, method = "beta"), "ci")
    xlogit <- attr(svyciprop(~y, design, method = "xlogit"), "ci")
    row$xlogit_low <- as.numeric(xlogit[1]); row$xlogit_high <- as.numeric(xlogit[2])
    row$logit_low <- as.numeric(logit[1]); row$logit_high <- as.numeric(logit[2])
    row$beta_low <- as.numeric(beta[1]); row$beta_high <- as.numeric(beta[2])
    row$df <- degf(design)
  }
  row
}

estimates <- function(raked, replicate) {
  rows <- list()
  for (q in questions) {
    answers <- sort(unique(data[[q]][data[[q]] != ""]))
    for (a in answers) {
      design <- update(raked, y = as.numeric(get(q) == a))
      answered <- design$variables[[q]] != ""
      rows[[length(rows) + 1]] <- one_row(subset(design, answered), q, a, "all", "", replicate)
      for (b in bys) {
        for (g in sort(unique(data[[b]]))) {
          inside <- answered & design$variables[[b]] == g
          if (sum(inside) < 2) next
          rows[[length(rows) + 1]] <- one_row(subset(design, inside), q, a, g, b, replicate)
        }
      }
    }
  }
  columns <- c("question", "answer", "group", "by", "n", "estimate", "se", "logit_low",
               "logit_high", "xlogit_low", "xlogit_high", "beta_low", "beta_high", "df")
  frame <- do.call(rbind, lapply(rows, function(r) {
    as.data.frame(lapply(setNames(columns, columns), function(k) if (is.null(r[[k]])) NA else r[[k]]))
  }))
  frame
}

linear <- rake(svydesign(ids = ~1, weights = ~w0, data = data), sample_margins,
               population_margins, control = control)
jk <- rake(as.svrepdesign(svydesign(ids = ~ETAB_ID, weights = ~w0, data = data), type = "JK1"),
           sample_margins, population_margins, control = control)

result <- list(
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  margins = variables,
  weights = as.numeric(weights(linear)),
  linearization = estimates(linear, FALSE),
  jackknife = estimates(jk, TRUE)
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, dataframe = "columns", na = "null"), args[3])
