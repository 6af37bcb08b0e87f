from django.urls import path

from stock.views import stock_board

urlpatterns = [path("", stock_board, name="stock_board")]
