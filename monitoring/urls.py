from django.urls import path

from monitoring.views import bulletins, checkpoints, dashboard, forecasts, imports, progress, yearend

app_name = "monitoring"

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("figures/<slug:name>.json", dashboard.figure_data, name="figure_data"),
    path("figures/<slug:name>.xlsx", dashboard.figure_xlsx, name="figure_xlsx"),
    path("figures/<slug:name>/", dashboard.figure_table, name="figure_table"),
    path("forecasts/", forecasts.forecasts, name="forecasts"),
    path("institutions/", dashboard.institutions, name="institutions"),
    path("institutions.xlsx", dashboard.institutions_xlsx, name="institutions_xlsx"),
    path("institutions/<int:pk>/", progress.institution, name="institution"),
    path("mine/", progress.mine, name="mine"),
    path("lines/<int:pk>/progress/", progress.line_progress, name="line_progress"),
    path("lines/<int:pk>/candidates/", progress.line_candidates, name="line_candidates"),
    path("candidates/<int:pk>/reveal/", progress.reveal, name="reveal"),
    path("imports/", imports.imports, name="imports"),
    path("imports/template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/map/", imports.import_map, name="import_map"),
    path("imports/<int:pk>/header/", imports.import_header, name="import_header"),
    path("imports/<int:pk>/confirm-figures/", imports.import_confirm_figures, name="import_confirm_figures"),
    path("imports/<int:pk>/withdraw/", imports.import_withdraw, name="import_withdraw"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("imports/<int:pk>/issues.xlsx", imports.import_issues, name="import_issues"),
    path("checkpoints/", checkpoints.checkpoint_list, name="checkpoints"),
    path("checkpoints/take/", checkpoints.checkpoint_take, name="checkpoint_take"),
    path("checkpoints/<int:pk>/", checkpoints.checkpoint_report, name="report"),
    path("checkpoints/<int:pk>/report.xlsx", checkpoints.report_xlsx, name="report_xlsx"),
    path("checkpoints/<int:pk>/report.pdf", checkpoints.report_pdf, name="report_pdf"),
    path("checkpoints/<int:pk>/bulletin/", bulletins.bulletin_draft, name="bulletin_draft"),
    path("bulletins/<int:pk>/", bulletins.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/file.<str:fmt>", bulletins.bulletin_file, name="bulletin_file"),
    path("year-end/", yearend.year_end_default, name="year_end_default"),
    path("year-end/<int:year>/", yearend.year_end, name="year_end"),
    path("year-end/<int:year>/close/", yearend.year_end_close, name="year_end_close"),
    path("year-end/<int:year>/reopen/", yearend.year_end_reopen, name="year_end_reopen"),
    path("year-end/<int:year>/lift/<int:institution>/", yearend.lift_cap, name="lift_cap"),
]
