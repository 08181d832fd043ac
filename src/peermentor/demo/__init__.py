"""The demo program: fictional people modelled on the published peer mentoring group."""
