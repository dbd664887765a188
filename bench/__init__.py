"""The benchmark of hdnd-archive: hdnd against wget and bare Scrapy on the mirror, and hdnd's own costs."""
