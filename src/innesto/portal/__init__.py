"""The Django portal: a thin consumer of the innesto library."""
